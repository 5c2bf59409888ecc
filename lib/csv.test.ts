import { csvCell, csvDocument } from './csv';

describe('the gradebook CSV (RFC 4180, safe in a spreadsheet)', () => {
  it('writes plain text and numbers as they are, lines ending in CRLF', () => {
    expect(csvDocument([['email', 'name', 'pipe-message'], ['a@b.test', 'Ada', 7.5], ['c@d.test', 'Cy', null]])).toBe('email,name,pipe-message\r\na@b.test,Ada,7.5\r\nc@d.test,Cy,\r\n');
  });

  it('quotes a field holding a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('Lovelace, Ada')).toBe('"Lovelace, Ada"');
    expect(csvCell('Ada "the first" L.')).toBe('"Ada ""the first"" L."');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])('keeps a spreadsheet from reading %j as a formula', (text) => {
    expect(csvCell(text)).toBe(`"'${text}"`);
  });

  it('writes a negative number as a number, not as text with an apostrophe', () => {
    expect(csvCell(-1)).toBe('-1');
  });
});
