// Copy buttons of the invitations page: each copies the text of the field it names. Without
// JavaScript the buttons stay hidden and the texts are there to select by hand.
(function () {
  'use strict';
  function copy(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    field.focus();
    field.select();
    return document.execCommand('copy') ? Promise.resolve() : Promise.reject(new Error('copy'));
  }
  document.querySelectorAll('button[data-copy]').forEach(function (b) {
    var field = document.getElementById(b.getAttribute('data-copy'));
    if (!field) return;
    var label = b.textContent;
    b.hidden = false;
    b.addEventListener('click', function () {
      copy(field).then(function () {
        b.textContent = 'Đã chép ✓';
      }, function () {
        field.select();
        b.textContent = 'Hãy chép bằng Ctrl+C';
      });
      setTimeout(function () { b.textContent = label; }, 2500);
    });
  });
})();
