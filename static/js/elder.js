/* 长辈模式, applied before the page paints: loaded without defer in <head>, it reads the visitor's
   cookie and sets classes on <html>. The server never reads the cookie, so the page cache serves
   one and the same HTML to everyone. Values: "1" larger text (1.5×), "2" largest (2×). */
(function () {
  var match = document.cookie.match(/(?:^|;\s*)portal_elder=([12])/);
  if (match) {
    document.documentElement.classList.add("elder");
    if (match[1] === "2") document.documentElement.classList.add("text-2x");
  }
})();
