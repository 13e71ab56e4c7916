/* Inside WeChat only: asks the portal for a JS-SDK signature and sets the share card (title,
   description, image) from the page's own Open Graph tags. Anywhere else it does nothing. */
(function () {
  if (!/MicroMessenger/i.test(navigator.userAgent) || !window.wx) return;
  var endpoint = document.querySelector('meta[name="portal-wechat-signature"]');
  if (!endpoint) return;
  function meta(property) {
    var tag = document.querySelector('meta[property="' + property + '"]');
    return tag ? tag.getAttribute("content") : "";
  }
  var url = window.location.href.split("#")[0];
  fetch(endpoint.getAttribute("content") + "?url=" + encodeURIComponent(url), { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (values) {
      if (!values) return;
      window.wx.config({
        debug: false, appId: values.appId, timestamp: values.timestamp, nonceStr: values.nonceStr,
        signature: values.signature, jsApiList: ["updateAppMessageShareData", "updateTimelineShareData"]
      });
      window.wx.ready(function () {
        var card = { title: meta("og:title") || document.title, desc: meta("og:description"),
                     link: url, imgUrl: meta("og:image") };
        window.wx.updateAppMessageShareData(card);
        window.wx.updateTimelineShareData(card);
      });
    })
    .catch(function () { /* a plain link is shared instead */ });
})();
