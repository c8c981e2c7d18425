/*! loopwise vendor bundle: cytoscape (MIT, (c) The Cytoscape Consortium) and
 *  cytoscape-fcose (MIT, (c) iVis-at-Bilkent). Built by `npm run vendor` (esbuild);
 *  licence notices of the bundled packages are kept at the end of this file. */
import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";

cytoscape.use(fcose);
window.cytoscape = cytoscape;
