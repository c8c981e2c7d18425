/* Starts Swagger UI on /docs or ReDoc on /redoc from the package's own copies
 * (static/vendor): no inline script, so the pages run under the site's Content-Security-Policy.
 * ReDoc gets the response's style nonce for the <style> elements it writes. */
(function () {
  "use strict";
  var redoc = document.getElementById("redoc");
  if (redoc && window.Redoc) {
    window.Redoc.init(redoc.dataset.openapiUrl, { nonce: redoc.dataset.styleNonce }, redoc);
    return;
  }
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) return;
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    oauth2RedirectUrl: window.location.origin + root.dataset.oauth2RedirectUrl,
    presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();
