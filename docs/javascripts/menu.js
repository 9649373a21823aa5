// The menu button (phones, tablets, a zoomed window): Material's label for the navigation
// drawer's checkbox, made a button in the header template. Enter and Space open and close the
// drawer as a click does, the button says whether it is open, and Escape closes an open
// drawer and gives the keyboard back to the button.
(() => {
  "use strict";
  const button = document.querySelector("[data-hs-menu]");
  const drawer = document.getElementById("__drawer");
  if (!button || !drawer) return;
  const said = () => button.setAttribute("aria-expanded", String(drawer.checked));
  button.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      event.stopPropagation();  // the theme's own Enter on a label would toggle it back
      drawer.click();
    }
  });
  drawer.addEventListener("change", () => {
    said();
    if (drawer.checked) {
      // Into the drawer: its first link, once it is visible.
      const first = document.querySelector(".md-sidebar--primary a[href]");
      if (first && document.activeElement === button) requestAnimationFrame(() => first.focus());
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
