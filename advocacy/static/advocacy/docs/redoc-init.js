/* Starts Redoc on /api/redoc/ from #redoc-container's data attributes (no inline script). */
"use strict";

(function () {
  const root = document.getElementById("redoc-container");
  const settings = root.dataset.settings ? JSON.parse(root.dataset.settings) : {};
  // The page's CSP nonce, for the <style> elements Redoc inserts (styled-components).
  settings.nonce = root.dataset.nonce;
  Redoc.init(root.dataset.schemaUrl, settings, root);
})();
