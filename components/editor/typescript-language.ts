/**
 * TypeScript for the editor straight from the Lezer grammar (which carries its
 * own highlighting). @codemirror/lang-javascript would pull @codemirror/autocomplete
 * and its own completions into the page's first load (14 KB compressed, measured)
 * for what the language service provides once it is loaded.
 */
import { delimitedIndent, foldInside, foldNodeProp, indentNodeProp, LanguageSupport, LRLanguage } from '@codemirror/language';
import { parser } from '@lezer/javascript';

// Inside braces, brackets and parentheses a line is indented one unit deeper than the line that opened them.
const braces = 'Block ClassBody SwitchBody EnumBody ObjectExpression ObjectPattern ObjectType';
const brackets = 'ArrayExpression ArrayPattern TupleType';
const parentheses = 'ArgList ParamList ParenthesizedExpression';

const typescriptLanguage = LRLanguage.define({
  name: 'typescript',
  parser: parser.configure({
    dialect: 'ts',
    props: [
      indentNodeProp.add({
        [braces]: delimitedIndent({ closing: '}' }),
        [brackets]: delimitedIndent({ closing: ']' }),
        [parentheses]: delimitedIndent({ closing: ')' }),
      }),
      foldNodeProp.add({ [`${braces} ${brackets}`]: foldInside }),
    ],
  }),
  languageData: {
    closeBrackets: { brackets: ['(', '[', '{', "'", '"', '`'] },
    commentTokens: { line: '//', block: { open: '/*', close: '*/' } },
    // Typing a closing bracket alone on a line re-indents it to match its opening line.
    indentOnInput: /^\s*[}\])]$/,
  },
});

export const typescript = new LanguageSupport(typescriptLanguage);
