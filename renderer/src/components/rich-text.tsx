// Text from the service shown as words: `quoted` parts become <code>, so no literal backtick reaches the person.
import { Fragment } from "react";

/** Splits on backticks: odd parts are code. An unpaired backtick is dropped rather than shown. */
export function RichText({ text }: { text: string }) {
  const parts = text.split("`");
  return (
    <>
      {parts.map((part, i) => (part === "" ? null : i % 2 === 1 && i < parts.length - 1 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>))}
    </>
  );
}
