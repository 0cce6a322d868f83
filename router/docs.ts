/** Swagger UI and ReDoc pages for the REST profiles' OpenAPI documents (assets from a CDN). */
export function swaggerUiPage(specUrls: { name: string; url: string }[]): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>API docs</title>
<link rel="stylesheet" href="https://unpkg.com/swagger-ui-dist@5/swagger-ui.css"></head>
<body><div id="ui"></div><script src="https://unpkg.com/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ dom_id: '#ui', urls: ${JSON.stringify(specUrls)} });</script></body></html>`;
}

export function redocPage(specUrl: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>API reference</title></head>
<body><redoc spec-url="${specUrl}"></redoc><script src="https://cdn.redoc.ly/redoc/latest/bundles/redoc.standalone.js"></script></body></html>`;
}
