/* Copies the API documentation's browser files (Swagger UI for /docs, ReDoc for /redoc) from
 * node_modules into src/loopwise/web/static/vendor, with their licences, so /docs and /redoc
 * work offline (`npm run vendor`; users need no Node.js). Source-map comments are dropped
 * (the maps are not shipped), and ReDoc's one network address (its badge's logo) is replaced
 * by a local file. */
"use strict";
const fs = require("fs");
const path = require("path");

const out = path.join("src", "loopwise", "web", "static", "vendor");
const files = [
  ["swagger-ui-dist/swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"],
  ["swagger-ui-dist/swagger-ui.css", "swagger-ui/swagger-ui.css"],
  ["swagger-ui-dist/oauth2-redirect.js", "swagger-ui/oauth2-redirect.js"],
  ["swagger-ui-dist/LICENSE", "swagger-ui/LICENSE"],
  ["swagger-ui-dist/NOTICE", "swagger-ui/NOTICE"],
  ["swagger-ui-dist/swagger-ui-bundle.js.LICENSE.txt", "swagger-ui/swagger-ui-bundle.js.LICENSE.txt"],
  ["redoc/bundles/redoc.standalone.js", "redoc/redoc.standalone.js"],
  ["redoc/bundles/redoc.standalone.js.LICENSE.txt", "redoc/redoc.standalone.js.LICENSE.txt"],
  ["redoc/LICENSE", "redoc/LICENSE"],
];
for (const [from, to] of files) {
  const target = path.join(out, to);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  let body = fs.readFileSync(path.join("node_modules", from));
  if (/\.(js|css)$/.test(to)) {
    let text = body.toString("utf8").replace(/\n?\/[/*]# sourceMappingURL=[^\n]*\s*$/, "\n");
    // ReDoc's "API docs by Redocly" badge loads its logo from a CDN: draw it from a local copy
    text = text.split("https://cdn.redoc.ly/redoc/logo-mini.svg").join("/static/vendor/redoc/logo-mini.svg");
    body = Buffer.from(text);
  }
  fs.writeFileSync(target, body);
}
// the badge's logo, drawn locally: a plain mark (the page needs nothing from the network)
fs.writeFileSync(path.join(out, "redoc", "logo-mini.svg"),
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="2" y="2" width="12" ' +
  'height="12" rx="3" fill="#d9251a"/></svg>\n');
const versions = ["swagger-ui-dist", "redoc"].map(
  (name) => name + " " + require(path.resolve("node_modules", name, "package.json")).version);
fs.writeFileSync(path.join(out, "DOCS-VERSIONS.txt"), versions.join("\n") + "\n");
