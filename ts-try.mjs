import { Parser, Language } from "web-tree-sitter";
await Parser.init();
const lang = await Language.load("/work/main/vendor/tree-sitter-bash/tree-sitter-bash.wasm");
const p = new Parser(); p.setLanguage(lang);
const show = (n, d=0) => { let s = "  ".repeat(d) + (n.isNamed ? n.type : JSON.stringify(n.type)) + (n.childCount===0 ? " " + JSON.stringify(n.text) : "") + (n.isMissing?" MISSING":""); for (const c of n.children) s += "\n" + show(c, d+1); return s; };
for (const s of process.argv.slice(2)) { const t = p.parse(s); console.log("==", JSON.stringify(s)); console.log(show(t.rootNode)); }
