// The copy-citation button of a summary page: copies the citation (the text of the element its
// data-copy names) and says so in a live region. Without JavaScript the button stays hidden and
// the citation is plain text to select.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (!source || !status) return;
    button.hidden = false;
    function said(ok) {
      status.textContent = button.getAttribute(ok ? "data-copied" : "data-failed");
    }
    function bySelection() {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      said(ok);
    }
    button.addEventListener("click", function () {
      var text = source.textContent.trim();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { said(true); }, bySelection);
      } else {
        bySelection();
      }
    });
  });
})();
