import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';

/** The page's h1 is the exercise's title, so the statement's headings sit one level below it. */
const headingsOneDown: Components = {
  h1: ({ children }) => <h2>{children}</h2>,
  h2: ({ children }) => <h3>{children}</h3>,
  h3: ({ children }) => <h4>{children}</h4>,
};

/** An exercise statement: GitHub-flavoured Markdown, sanitised (an author's HTML cannot run script), code highlighted. */
export default function Statement({ markdown }: { markdown: string }) {
  return (
    <div className="statement">
      <ReactMarkdown remarkPlugins={[remarkGfm]} rehypePlugins={[rehypeSanitize, [rehypeHighlight, { detect: false, ignoreMissing: true }]]} components={headingsOneDown}>
        {markdown}
      </ReactMarkdown>
    </div>
  );
}
