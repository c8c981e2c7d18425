/*! loopwise vendor bundle: cytoscape (MIT, (c) The Cytoscape Consortium). Built by
 *  `npm run vendor` (esbuild); its licence notice is kept at the end of this file. The
 *  server lays the map out (loopwise.web.layout), so no layout extension is bundled. */
import cytoscape from "cytoscape";

window.cytoscape = cytoscape;
