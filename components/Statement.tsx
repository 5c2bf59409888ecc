import type { ReactElement } from 'react';
import Markdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';

/**
 * The page's h1 is the exercise's title, so the statement's headings sit one level below it; code
 * blocks scroll sideways on a phone, so a keyboard must be able to reach them.
 */
const statementElements: Components = {
  h1: ({ children }) => <h2>{children}</h2>,
  h2: ({ children }) => <h3>{children}</h3>,
  h3: ({ children }) => <h4>{children}</h4>,
  pre: ({ children }) => <pre tabIndex={0}>{children}</pre>,
};

/** The statement's own first heading, when it only repeats the title the page already shows. */
function withoutRepeatedTitle(markdown: string, title: string): string {
  const [first, ...rest] = markdown.split('\n');
  return first.trim() === `# ${title}` ? rest.join('\n') : markdown;
}

/** An exercise statement rendered now (parsing, sanitising and highlighting happen in this call, so its result can be kept). */
export function renderStatement(markdown: string, title: string): ReactElement {
  return (
    <div className="statement">
      {Markdown({
        remarkPlugins: [remarkGfm],
        rehypePlugins: [rehypeSanitize, [rehypeHighlight, { detect: false, ignoreMissing: true }]],
        components: statementElements,
        children: withoutRepeatedTitle(markdown, title),
      })}
    </div>
  );
}

/** An exercise statement: GitHub-flavoured Markdown, sanitised (an author's HTML cannot run script), code highlighted. */
export default function Statement({ markdown, title }: { markdown: string; title: string }) {
  return renderStatement(markdown, title);
}
