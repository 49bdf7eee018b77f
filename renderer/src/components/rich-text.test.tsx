// Backticks in the service's text become code elements: the person never sees a literal backtick.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RichText } from "./rich-text";

describe("RichText", () => {
  it("renders `quoted` parts as code and drops an unpaired backtick", () => {
    expect(renderToStaticMarkup(<RichText text="run `otto-tray pool init` then `status`." />)).toBe("run <code>otto-tray pool init</code> then <code>status</code>.");
    expect(renderToStaticMarkup(<RichText text="plain words" />)).toBe("plain words");
    expect(renderToStaticMarkup(<RichText text="odd ` one" />)).not.toContain("`");
  });
});
