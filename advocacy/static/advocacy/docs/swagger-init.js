/* Starts Swagger UI on /api/docs/ from the settings in #swagger-ui's data attributes.
   A static file, so the page needs no inline script under the Content-Security-Policy. */
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  const config = root.dataset;
  const settings = config.settings ? JSON.parse(config.settings) : {};

  const requestInterceptor = (request) => {
    // Session-authenticated writes need the CSRF token; GETs and cross-origin calls do not.
    if (!["GET", undefined].includes(request.method) && request.credentials === "same-origin") {
      request.headers[config.csrfHeader] = config.csrfToken;
    }
    return request;
  };

  window.ui = SwaggerUIBundle({
    url: config.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor,
    ...settings,
  });
})();
