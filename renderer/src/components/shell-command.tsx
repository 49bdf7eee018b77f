// A shell command as one unbroken line (scrolling sideways if it must) with a Copy button: it is pasted, never retyped.
import { useState } from "react";

export function ShellCommand({ command, testId }: { command: string; testId?: string }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = () => {
    // The clipboard API needs a secure context (127.0.0.1 is one); where it is refused, say so rather than pretend.
    if (navigator.clipboard === undefined) return setCopied("no");
    navigator.clipboard.writeText(command).then(
      () => setCopied("yes"),
      () => setCopied("no"),
    );
  };
  return (
    <span className="shell-command" data-testid={testId}>
      <code tabIndex={0} aria-label={`Command: ${command}`}>
        {command}
      </code>
      <button type="button" className="copy" onClick={copy} aria-label={`Copy ${command}`}>
        {copied === "yes" ? "Copied" : copied === "no" ? "Select to copy" : "Copy"}
      </button>
    </span>
  );
}
