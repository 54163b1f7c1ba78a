// Starts Swagger UI on the API docs page, with this site's own schema (no inline script: CSP).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: true,
  });
})();
