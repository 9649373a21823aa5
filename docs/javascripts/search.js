// The header's search box: queries the Pagefind index the build writes into pagefind/.
// The index is chunked: the first query loads Pagefind's script and only the chunks of the
// words typed, never the whole index. Results are links in a list, reachable by keyboard:
// "/" focuses the box, the arrow keys move through the results, Escape closes.
const FOUND = "hs-search-found";  // the query a reader followed a result of, for the page

(() => {
  "use strict";
  const root = document.querySelector("[data-hs-search]");
  if (!root) return;
  const input = root.querySelector(".hs-search__input");
  const form = root.querySelector(".hs-search__form");
  const panel = root.querySelector(".hs-search__results");
  const meta = root.querySelector(".hs-search__meta");
  // The pages with every word, then, under their own label, those with some of them.
  const list = root.querySelector(".hs-search__list");
  const partial = root.querySelector(".hs-search__list--partial");
  const partialLabel = root.querySelector(".hs-search__partial");
  const more = root.querySelector(".hs-search__more");
  const opener = root.querySelector(".hs-search__open");
  const closer = root.querySelector(".hs-search__close");
  const bundle = new URL(root.dataset.hsBundle, document.baseURI);
  const PAGE = 10;
  let pagefind = null;
  let merged = false;  // the index is several bundles (a large site)
  let found = [];
  let matching = 0;  // the first results hold every word; those after, some of them
  let shown = 0;
  let latest = "";

  // Pagefind's excerpts mark the matched words with <mark>; everything else is shown as
  // text (decoded by a textarea, which never creates elements), never parsed as HTML.
  const decoder = document.createElement("textarea");
  const text = (value) => { decoder.innerHTML = value || ""; return decoder.value; };
  // Pagefind cuts an excerpt from the page's text with "<" and ">" written "&lt;" and "&gt;"
  // and nothing else escaped: a page saying "&copy;" or "evil &amp;" in so many characters
  // reads the same there as a page saying "©" or "evil &", and "&lt;" the same as "<".
  // So an excerpt is read back from the page's own text (the result's content, where it
  // is found as Pagefind escaped it) into HTML escaped in full: decoded, it says exactly
  // what the page says. Not found there (never seen), only "&lt;" and "&gt;" are read back.
  const ESCAPED = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
  const escape = (value) => value.replace(/[&<>]/g, (c) => ESCAPED[c]);
  const SPACES = /[\r\n\s]+/g;  // Pagefind's word breaks, one space in an excerpt
  const TAG = /(<mark>|<\/mark>)/;
  const reader = (content) => {
    let plain = null;
    let escaped = "";
    const at = new Map();  // where each character of the page's text starts in `escaped`
    const index = () => {
      plain = (content || "").replace(SPACES, " ");
      for (let i = 0; i < plain.length; i += 1) {
        at.set(escaped.length, i);
        const c = plain[i];
        escaped += c === "<" ? "&lt;" : c === ">" ? "&gt;" : c;
      }
      at.set(escaped.length, plain.length);
    };
    return (value) => {
      const parts = (value || "").replace(SPACES, " ").split(TAG);
      const guess = () => parts.map((part) => (TAG.test(part) ? part
        : escape(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">")))).join("");
      // Without an "&" an excerpt is the page's text as it stands.
      if (!parts.some((part) => part.includes("&"))) return guess();
      if (plain === null) index();
      const start = escaped.indexOf(parts.filter((part) => !TAG.test(part)).join(""));
      if (start < 0) return guess();
      let pos = start;
      const out = [];
      for (const part of parts) {
        if (TAG.test(part)) { out.push(part); continue; }
        const from = at.get(pos);
        const to = at.get(pos + part.length);
        if (from === undefined || to === undefined) return guess();
        out.push(escape(plain.slice(from, to)));
        pos += part.length;
      }
      return out.join("");
    };
  };
  // A record page carries words for search only, each after a "⁞", the list ended by "⁞⁞".
  // An excerpt that takes them in shows the longer stretch of prose on either side of them;
  // one made of them alone (under three words of prose) is left out.
  const MARK = "\u205e";
  const words = (part) => part.replace(/<\/?mark>/g, "").trim().split(/\s+/).filter(Boolean).length;
  const prose = (value) => {
    const all = value || "";
    if (!all.includes(MARK)) return all;
    const end = all.lastIndexOf(MARK + MARK);
    const after = end >= 0 ? all.slice(end + 2) : "";
    const before = end >= 0 && all.indexOf(MARK) >= end ? "" : all.split(MARK)[0];
    const best = words(after) > words(before) ? after : before;
    return words(best) >= 3 ? best.trim() : "";
  };
  const folded = (value) => value.toLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
  const termsOf = (query) => [...new Set(folded(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
  // A page found by its search-only words (a cause a record cites, say) has them at the top,
  // so its excerpt would be the line above them: a date and a format. A page found by one
  // word of its heading line ("review") would show that line. The page's excerpt gives way
  // to the section (each heading's excerpt) that says more of the query's words.
  // What counts is the query's words a passage says, not its distinct marked strings:
  // "PM-compass-2." and "PM-compass-3." both say "compass", "launch-week" and "launches"
  // say "launch" (an action list outscored the page's own excerpt by its ids). A mark is one
  // word as Pagefind found it (a hyphenated word, even a file's path, whole), so it says one
  // query word: the longest that one of its parts begins, else the one it shares the
  // longest start with (a stemmed form: "launch" marked for "launches").
  const wordsSaid = (value, terms) => {
    const words = new Set();
    for (const [, marked] of value.matchAll(/<mark>(.*?)<\/mark>/g)) {
      const parts = termsOf(text(marked));
      const whole = parts.join("");  // "hand-off" says "handoff"
      if (!whole) continue;
      const shared = (t) => { let n = 0; while (n < t.length && t[n] === whole[n]) n += 1; return n; };
      const begun = terms.filter((t) => whole.startsWith(t) || parts.some((p) => p.startsWith(t)))
        .sort((a, b) => b.length - a.length);
      const near = begun[0] || terms.reduce((a, t) => (shared(t) > shared(a) ? t : a), "");
      // Sharing no start with any (a script Pagefind splits otherwise): a word of its own.
      words.add(near || `\u0000${whole}`);
    }
    return words.size;
  };
  // A query the page's title says every word of ("The Compass Launch", "compass launch")
  // names the page: the result is the page itself, its top and its own excerpt, not the
  // section that happens to repeat the words most.
  const names = (title, terms) => {
    const own = termsOf(title);
    return terms.length > 0 && terms.every((t) => own.some((w) => w.startsWith(t)));
  };
  // The passage shown is also where the result leads: a section's own anchor when a
  // section says more of the query than the page's excerpt.
  const best = (data, query) => {
    const terms = termsOf(query);
    const read = reader(data.content);
    let pick = { excerpt: prose(read(data.excerpt)), url: data.url };
    if (names((data.meta && data.meta.title) || "", terms)) return pick;
    let most = wordsSaid(pick.excerpt, terms);
    for (const sub of data.sub_results || []) {
      const passage = read(sub.excerpt);
      const count = passage.includes(MARK) ? 0 : wordsSaid(passage, terms);
      if (count > most) {
        pick = { excerpt: passage, url: sub.url || data.url };
        most = count;
      }
    }
    return pick;
  };
  const excerpt = (value) => {
    const out = document.createElement("span");
    out.className = "hs-search__excerpt";
    value.split(/(<mark>|<\/mark>)/).reduce((marked, part) => {
      if (part === "<mark>") return true;
      if (part === "</mark>") return false;
      const node = document.createTextNode(text(part));
      if (marked) {
        const mark = document.createElement("mark");
        mark.append(node);
        out.append(mark);
      } else {
        out.append(node);
      }
      return marked;
    }, false);
    return out;
  };

  // Loaded once, on first use: the first caller starts it, later ones wait for it.
  const load = () => {
    if (!pagefind) {
      pagefind = (async () => {
        const engine = await import(new URL("pagefind.js", bundle).href);
        // Result addresses are relative to the site's root, wherever the site is served.
        const baseUrl = new URL("..", bundle).pathname;
        await engine.options({ baseUrl });
        // A large site is indexed in several bundles (bundles.json lists the others).
        const listed = await fetch(new URL("bundles.json", bundle)).then((r) => r.ok ? r.json() : {});
        for (const part of listed.merge || []) {
          await engine.mergeIndex(new URL(part, bundle).href, { baseUrl });
          merged = true;
        }
        return engine;
      })();
      pagefind.catch(() => { pagefind = null; });  // a failed load is tried again next time
    }
    return pagefind;
  };

  const item = (data) => {
    const li = document.createElement("li");
    li.className = "hs-search__item";
    const link = document.createElement("a");
    link.className = "hs-search__link";
    const passage = best(data, latest);
    link.href = passage.url;
    // The page opens any folded block that says the words (see the end of this file).
    link.addEventListener("click", () => {
      try { sessionStorage.setItem(FOUND, latest); } catch (error) { /* storage off */ }
    });
    const title = document.createElement("span");
    title.className = "hs-search__title";
    // Pagefind's title is the page's heading as text, nothing escaped.
    title.textContent = (data.meta && data.meta.title) || data.url;
    link.append(title, excerpt(passage.excerpt));
    li.append(link);
    return li;
  };

  const clear = () => {
    list.replaceChildren();
    partial.replaceChildren();
    partial.hidden = true;
    partialLabel.hidden = true;
  };

  const showMore = async () => {
    const start = shown;
    const next = found.slice(shown, shown + PAGE);
    shown += next.length;
    const query = latest;
    const pages = await Promise.all(next.map((result) => result.data()));
    if (query !== latest) return;
    const items = pages.map(item);
    // Where the pages with every word end and those with some of them begin, a label says so
    // (over a list of its own: not an item of either list).
    const cut = Math.max(0, Math.min(matching - start, items.length));
    list.append(...items.slice(0, cut));
    partial.append(...items.slice(cut));
    const some = partial.childElementCount > 0;
    partial.hidden = !some;
    partialLabel.hidden = !some || matching === 0;
    more.hidden = shown >= found.length;
  };

  // Merged bundles are searched each on its own: a bundle with no word that begins with a
  // query word matches the longest word the query word begins with instead ("00124" finds
  // pages saying "001"). So on a merged index each word of the query is also searched
  // exactly (quoted: stemmed as ever, never shortened), and only the pages that hold every
  // such word are kept. A word no page holds as such (one still being typed, say) keeps
  // every page, as one index would; so does a query already quoted. A lone Latin letter
  // (the "t" of "didn't") is left to Pagefind, which may not index it as a word.
  const precise = async (engine, query, results) => {
    if (!merged || query.includes('"')) return results;
    const terms = new Set(query.toLowerCase().split(/[^\p{L}\p{N}]+/u)
      .filter((term) => term.length > 1 || /[^\x00-\x7f]/.test(term)));
    let kept = results;
    for (const term of terms) {
      const exact = await engine.search(`"${term}"`);
      if (exact && exact.results.length) {
        const holding = new Set(exact.results.map((result) => result.id));
        kept = kept.filter((result) => holding.has(result.id));
      }
    }
    return kept;
  };

  // The words a question is built of, not what it asks about ("why did Meridian fail").
  const STOP = new Set(("a about an and are as at be by can could did do does for from had has "
    + "have how i if in into is it its my no not of on or our should so that the their them "
    + "then there these they this those to us was we were what when where which who whom why "
    + "will with would you your").split(" "));

  // Finding no word that begins with a query word, Pagefind matches the longest part of it
  // that begins one: "Halvorson" found every page saying "h", shown as if they matched. So a
  // query word of four Latin letters or more that no page holds as a word (searched exactly,
  // stemmed as ever) must at least begin a word on one of the first results, as a word
  // still being typed does ("halvor"); else no page has it.
  const plausible = async (engine, query, results) => {
    const long = termsOf(query).filter((t) => t.length >= 4 && !STOP.has(t)
      && /^[a-z0-9]+$/.test(t));
    if (!long.length || !results.length) return results;
    let said = null;
    for (const term of long) {
      const exact = await engine.search(`"${term}"`);
      if (exact && exact.results.length) continue;
      said = said || (await Promise.all(results.slice(0, 5).map((result) => result.data())))
        .map((data) => ` ${folded(data.content || "")}`);
      const begins = new RegExp(`[^\\p{L}\\p{N}]${term}`, "u");
      if (!said.some((text) => begins.test(text))) return [];
    }
    return results;
  };

  // No page has every word of a question: the pages with most of them, a rarer word
  // counting for more (a page saying "Meridian" before one saying "fail").
  const mostWords = async (engine, query) => {
    const terms = termsOf(query).filter((t) => !STOP.has(t));
    if (terms.length < 2) return [];
    const scores = new Map();
    for (const term of terms) {
      const found = await engine.search(term);
      const kept = await plausible(engine, term, await precise(engine, term, found ? found.results : []));
      for (const result of kept) {
        const score = scores.get(result.id) || { words: 0, weight: 0, result };
        score.words += 1;
        score.weight += 1 / kept.length;
        scores.set(result.id, score);
      }
    }
    return [...scores.values()]
      .sort((a, b) => b.words - a.words || b.weight - a.weight || b.result.score - a.result.score)
      .map((score) => score.result);
  };

  const run = async () => {
    // Words joined by a hyphen, slash, arrow or middle dot are searched as separate words
    // too ("SDR→AE hand-off" finds sdr, ae, hand, off); record pages also carry the
    // joined forms ("handoff"), so a reader may type either.
    // The index holds each word without its symbols ("$180k" as "180k", "5×3" as "53");
    // Pagefind takes a query's punctuation out, not its symbols: "$180k" found no page. So
    // they go as the index took them out: "$180k" is "180k", "€12k" is "12k".
    const query = input.value.replace(/[→·/]+/g, " ").replace(/\p{S}+/gu, "")
      .replace(/\s+/g, " ").trim();
    latest = query;
    if (!query) {
      panel.hidden = true;
      clear();
      return;
    }
    panel.hidden = false;
    const engine = await load();
    const search = await engine.debouncedSearch(query, {}, 120);
    if (search === null || query !== latest) return;  // a newer query superseded this one
    // Every word, as Pagefind finds pages; for a question typed as a sentence ("which deals
    // did we lose to Corvex"), then its words without "which did we to", then the pages with
    // most of them: the page holding every word may only mention them in passing.
    const all = await plausible(engine, query, await precise(engine, query, search.results));
    const words = termsOf(query);
    const content = words.filter((t) => !STOP.has(t));
    let results = all;
    if (content.length && (content.length < words.length || !all.length)) {
      const seen = new Set(all.map((result) => result.id));
      const add = (more) => {
        for (const result of more) {
          if (!seen.has(result.id)) { seen.add(result.id); results.push(result); }
        }
      };
      results = [...all];
      if (content.length < words.length) {
        const plain = content.join(" ");
        const again = await engine.search(plain);
        add(await plausible(engine, plain, await precise(engine, plain, again ? again.results : [])));
      }
      add(await mostWords(engine, query));
    }
    if (query !== latest) return;
    // The pages holding every word come first (results begins with all of them); the rest,
    // added for the words without "the", "why" and the like or for most of the words, hold
    // some of them only: "The Quillon Loss" is one page, not every page saying "loss".
    found = results;
    matching = all.length;
    shown = 0;
    clear();
    const matches = (n) => (n === 1 ? "1 matching page" : `${n} matching pages`);
    meta.textContent = found.length === 0 ? "No matching pages"
      : matching === 0 ? `No page has every word: ${found.length} with some of them, most first`
      : matching === found.length ? matches(matching)
      : `${matches(matching)}, then ${found.length - matching} with some of the words`;
    await showMore();
    root.dataset.hsQuery = query;  // results for this query are on screen
  };

  const open = () => {
    root.classList.add("hs-search--open");
    opener.setAttribute("aria-expanded", "true");
    // On a phone the open box covers the magnifier: Shift+Tab must not land under it.
    opener.tabIndex = -1;
    input.focus();
    load().catch(() => {});  // start loading the index while the reader types
  };
  const close = () => {
    root.classList.remove("hs-search--open");
    opener.setAttribute("aria-expanded", "false");
    opener.removeAttribute("tabindex");
    panel.hidden = true;
  };
  const links = () => [...list.querySelectorAll("a"), ...partial.querySelectorAll("a")];
  // Where the keyboard goes when the box closes under it: back to the magnifier on a phone
  // (the box is gone), to the box itself on a wider screen; never to the page's start.
  let settling = false;
  const dismiss = () => {
    const within = root.contains(document.activeElement);
    close();
    if (!within) return;
    settling = true;  // focusing the box must not open the results again
    (getComputedStyle(opener).display !== "none" ? opener : input).focus();
    settling = false;
  };

  opener.addEventListener("click", open);
  closer.addEventListener("click", () => { input.value = ""; close(); opener.focus(); });
  input.addEventListener("focus", () => {
    load().catch(() => {});
    if (input.value && !settling) panel.hidden = false;
  });
  input.addEventListener("input", () => { run().catch((error) => { meta.textContent = `Search failed: ${error}`; }); });
  // The button goes once every result is shown: the keyboard moves on to the first new
  // result, not to the page's start with the panel still open over it.
  more.addEventListener("click", async () => {
    const before = links().length;
    await showMore();
    const next = links()[before];
    if (next) next.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const first = links()[0];
    if (first) first.click();
  });
  root.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      // Chromium's own Escape in a search box also empties it: the query stays, to be
      // taken up again where it was left.
      event.preventDefault();
      dismiss();
    } else if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    }
  });
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLElement
      && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      open();
    }
  });
  document.addEventListener("click", (event) => {
    if (!root.contains(event.target)) close();
  });
  // Tabbing out of the box or its results closes them: left open, the panel would cover the
  // links the keyboard goes on to (focus would land under it).
  root.addEventListener("focusout", (event) => {
    if (event.relatedTarget instanceof Node && !root.contains(event.relatedTarget)) close();
  });
})();

// Arriving from a search result: what it found may sit in a folded block (a collapsible note
// a record's author wrote, closed until clicked). The blocks around the section the result
// leads to, and those that say a word of the query, are opened, so the reader sees the words
// the result promised. Generated lists left out of the search are left as they are. A result
// on the page already open only changes the address's #section: the same then.
(() => {
  "use strict";
  const unfold = (node) => {
    let opened = false;
    for (let at = node; at && at !== document.body; at = at.parentElement) {
      if (at.tagName === "DETAILS" && !at.open) { at.open = true; opened = true; }
    }
    return opened;
  };
  const arrive = () => {
    let query = "";
    try {
      query = sessionStorage.getItem(FOUND) || "";
      sessionStorage.removeItem(FOUND);
    } catch (error) { /* storage off: nothing to open */ }
    const article = document.querySelector("article") || document.body;
    // An address's #section may not decode ("#approver%zz"): then it is looked up as written.
    let id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (error) { /* malformed: as written */ }
    const target = id ? document.getElementById(id) : null;
    const words = query.toLocaleLowerCase().split(/\s+/).filter((word) => word.length > 1);
    let first = null;
    for (const folded of words.length ? article.querySelectorAll("details:not([open])") : []) {
      if (folded.closest(".hs-search-exclude, [data-search-exclude]")) continue;
      const said = folded.textContent.toLocaleLowerCase();
      if (words.some((word) => said.includes(word)) && unfold(folded)) first = first || folded;
    }
    const opened = target !== null && unfold(target);
    // Opening blocks moved what the browser scrolled to: scroll to it again.
    if (target && (opened || first)) target.scrollIntoView();
    else if (!target && first) first.scrollIntoView();
  };
  arrive();
  window.addEventListener("hashchange", arrive);
})();
