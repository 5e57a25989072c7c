/* IPEX's own behaviour, kept out of the templates: the Content-Security-Policy allows
   scripts from this node's static files only (no inline scripts, no hx-on attributes). */
"use strict";

document.addEventListener("click", function (event) {
  /* A seizure's item line: "×" removes the line from the form. */
  const button = event.target.closest("button.remove-line");
  if (button) {
    button.closest("tr").remove();
  }
});
