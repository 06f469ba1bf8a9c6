// The search page's excerpts, from the words a reader reads on the page (migration_report.sphinx.search).
//
// Sphinx's searchtools.js takes a result's excerpt from the page's whole main part and starts it
// where the first query word appears, written as the query was after its splitter: so it took the
// page's download menu ("....ipynb") when the word was written with accents on the page and
// without them in the query ("Bárcena", "barcena"), and code or the BibTeX of a citation box when
// the word was there first ("@incollection…", "flows.by_component_title"). Here the excerpt comes
// from the page's article without its code and the prompts of folded code, and a word is found
// whatever its accents, case or thousands separators ("272000" finds "272,000").
(() => {
  // What a reader does not read as the page's text: code blocks, folded code's prompts, heading
  // links, the link to the page in the other edition.
  const NOT_TEXT = "pre, .highlight, details.hide > summary, .headerlink, .edition-switcher, script, style, template";
  const CONTEXT = 120; // characters before the word, and the excerpt's length twice that
  // Between two digits: a thousands separator, which neither the query nor the page must need.
  const SEPARATOR = /[,\u00a0\u202f\u2009]/;

  // The text folded for comparison (no accents, lower case, no separators inside numbers), with
  // where each folded character came from in the text.
  const fold = (text) => {
    let folded = "";
    const origin = [];
    for (let i = 0; i < text.length; i += 1) {
      const c = text[i];
      if (SEPARATOR.test(c) && /\d/.test(text[i - 1] || "") && /\d/.test(text[i + 1] || "")) { continue; }
      const plain = c.normalize("NFD").replace(/\p{Mark}/gu, "").toLowerCase();
      for (const p of plain) { folded += p; origin.push(i); }
    }
    return { folded, origin };
  };

  const pageText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    const root = page.querySelector("article") || page.querySelector('[role="main"]');
    if (!root) { return ""; }
    root.querySelectorAll(NOT_TEXT).forEach((element) => element.remove());
    let part = null;
    if (anchor) {
      try { part = root.querySelector(anchor); } catch (error) { part = null; }
    }
    return (part || root).textContent.replace(/\s+/g, " ").trim();
  };

  const excerpt = (htmlString, keywords, anchor) => {
    const text = pageText(htmlString, anchor);
    if (!text) { return null; }
    const { folded, origin } = fold(text);
    const found = [...keywords].map((word) => folded.indexOf(fold(String(word)).folded)).filter((at) => at > -1);
    let start = found.length ? Math.max(origin[Math.min(...found)] - CONTEXT, 0) : 0;
    if (start > 0) {
      const space = text.indexOf(" ", start);
      start = space > -1 && space < start + 20 ? space + 1 : start; // begin with a whole word
    }
    const end = start + 2 * CONTEXT;
    const summary = document.createElement("p");
    summary.classList.add("context");
    summary.textContent = (start > 0 ? "…" : "") + text.slice(start, end).trim() + (end < text.length ? "…" : "");
    return summary;
  };

  const patch = () => {
    if (typeof Search === "undefined") { return false; }
    Search.htmlToText = pageText;
    Search.makeSearchSummary = excerpt;
    return true;
  };
  // searchtools.js may load before or after this file (deferred): patch when it is there, before
  // it runs the search (on DOMContentLoaded, after every deferred script).
  if (!patch()) { document.addEventListener("DOMContentLoaded", patch); }
})();
