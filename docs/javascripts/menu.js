// The menu button (phones, tablets, a zoomed window): Material's label for the navigation
// drawer's checkbox, made a button in the header template. Enter and Space open and close the
// drawer as a click does, the button says whether it is open, and Escape closes an open
// drawer and gives the keyboard back to the button.
(() => {
  "use strict";
  const button = document.querySelector("[data-hs-menu]");
  const drawer = document.getElementById("__drawer");
  const sidebar = document.querySelector(".md-sidebar--primary");
  if (!button || !drawer || !sidebar) return;
  const said = () => button.setAttribute("aria-expanded", String(drawer.checked));
  const pressed = (event) => event.key === "Enter" || event.key === " ";
  button.addEventListener("keydown", (event) => {
    if (pressed(event)) {
      event.preventDefault();
      event.stopPropagation();  // the theme's own Enter on a label would toggle it back
      drawer.click();
    }
  });
  // An open section's panel hides the level under it (stylesheets/hindsight.css): its title,
  // the theme's "back" for a pointer, is the keyboard's way back up too. Made a stop once
  // the drawer first opens, after the theme has bound its own labels (it would look for the
  // title's sub-menu as it does for the expand arrows, and find none).
  const backs = () => {
    for (const title of sidebar.querySelectorAll(".md-nav .md-nav__title[for^='__nav']")) {
      if (title.hasAttribute("tabindex")) continue;
      title.setAttribute("tabindex", "0");
      title.setAttribute("role", "button");
      title.setAttribute("aria-label", `Back from ${title.textContent.trim()}`);
      title.addEventListener("keydown", (event) => {
        if (!pressed(event)) return;
        event.preventDefault();
        event.stopPropagation();
        title.click();
        // The keyboard stays where the section was opened: its arrow, or its own page's link
        // where the theme left the arrow out of the tab order (the page's own section).
        const opener = document.getElementById(`${title.htmlFor}_label`);
        const item = opener && opener.closest(".md-nav__item");
        const stop = item && [opener, ...item.querySelectorAll("a[href]")]
          .find((el) => el.tabIndex >= 0);
        if (stop) stop.focus();
      });
    }
  };
  drawer.addEventListener("change", () => {
    said();
    if (drawer.checked) {
      backs();
      // Into the drawer: its first link, once it is visible.
      const first = [...sidebar.querySelectorAll("a[href], [tabindex='0']")]
        .find((el) => getComputedStyle(el).visibility === "visible");
      if (first && document.activeElement === button) requestAnimationFrame(() => first.focus());
    }
  });
  // The open drawer covers the page and the header: Tab past its last link (or Shift+Tab
  // before its first) went on to links behind it. Focus leaving the drawer closes it.
  sidebar.addEventListener("focusout", (event) => {
    const next = event.relatedTarget;
    if (drawer.checked && next instanceof Element && !sidebar.contains(next)) {
      drawer.click();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && drawer.checked) {
      drawer.click();
      button.focus();
    }
  });
  said();
})();
