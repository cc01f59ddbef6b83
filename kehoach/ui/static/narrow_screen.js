/* On a screen narrower than the breakpoint, start with the sidebar collapsed (Streamlit's own
   "auto" collapses only below 768 px; a 10-inch tablet in portrait is wider). Runs once per
   page load, so a user who opens the sidebar again keeps it open. */
(function (breakpoint) {
  "use strict";
  if (window.khNarrowChecked || window.innerWidth >= breakpoint) { return; }
  window.khNarrowChecked = true;
  var tries = 0;
  function collapse() {
    var sidebar = document.querySelector('section[data-testid="stSidebar"]');
    var button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (sidebar && button && sidebar.getAttribute("data-collapsed") === "false") {
      button.click();
      return;
    }
    if (tries++ < 50) { window.setTimeout(collapse, 100); }
  }
  collapse();
})
