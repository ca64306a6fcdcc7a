// Starts Swagger UI on the API's own OpenAPI document (an external file: the CSP allows no
// inline script).
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.spec, domNode: root, deepLinking: true });
});
