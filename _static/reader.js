// Marks table boxes that scroll sideways, so the stylesheet can show it (see custom.css).
// The hint's words come from the page's <html lang>, to follow the book into other languages.
(() => {
  const HINT = { en: "Scroll the table sideways to see all its columns →", es: "Desplace la tabla hacia los lados para ver todas sus columnas →" };
  const hintText = () => HINT[(document.documentElement.lang || "en").slice(0, 2)] || HINT.en;

  const update = (box) => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("scrolls", scrolls);
    box.classList.toggle("more-right", scrolls && box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
    box.style.setProperty("--box-width", `${box.clientWidth}px`);
    let hint = box.nextElementSibling;
    if (!(hint && hint.classList.contains("scroll-hint"))) { hint = null; }
    if (scrolls && !hint) {
      hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.textContent = hintText();
      box.after(hint);
    }
    if (hint) { hint.hidden = !scrolls; }
  };

  const setUp = () => {
    const boxes = [...document.querySelectorAll("article .pst-scrollable-table-container")];
    boxes.forEach((box) => {
      if (!box.hasAttribute("tabindex")) { box.tabIndex = 0; }  // keyboard readers can scroll it too
      box.addEventListener("scroll", () => update(box), { passive: true });
      update(box);
    });
    window.addEventListener("resize", () => boxes.forEach(update));
  };
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
})();

// A book opened from a local file: the browser refuses the search page's fetches of the pages
// whose excerpts it shows, so they are answered from the page texts that the build wrote
// (src/migration_report/sphinx/search.py) as a page whose main part is that text.
(() => {
  if (location.protocol !== "file:" || !/\/search\.html$/.test(location.pathname)) { return; }
  const root = new URL(".", location.href).href;
  const texts = new Promise((resolve) => {
    const script = document.createElement("script");
    script.src = "_static/search-texts.js";
    script.onload = () => resolve(window.bookPageTexts || {});
    script.onerror = () => resolve({});
    document.head.appendChild(script);
  });
  const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const pageFetch = window.fetch.bind(window);
  window.fetch = (resource, options) => {
    const url = new URL(String(resource), location.href);
    if (!url.href.startsWith(root) || !url.pathname.endsWith(".html")) { return pageFetch(resource, options); }
    const docname = decodeURIComponent(url.href.slice(root.length).split("#")[0]).replace(/\.html$/, "");
    return texts.then((known) => known[docname] === undefined ? pageFetch(resource, options)
      : new Response(`<div role="main">${escape(known[docname])}</div>`, { headers: { "Content-Type": "text/html" } }));
  };
})();
