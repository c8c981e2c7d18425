// What the canvas draws at this moment: every label's on-screen font size and box, and the
// pairs of node labels (factors' and themes') whose boxes overlap. Run with page.evaluate.
() => {
  const cy = window.loopwiseCy, zoom = cy.zoom();
  const drawn = [];
  cy.elements().not(".hidden").forEach((ele) => {
    for (const key of ele.isNode() ? ["label"] : ["label", "target-label"]) {
      if (!ele.style(key)) continue;  // not drawn (zoomed out, or no label)
      drawn.push({
        id: ele.id(),
        kind: ele.isEdge() ? "sign" : ele.hasClass("region") ? "theme" : "factor",
        px: parseFloat(ele.style("font-size")) * zoom,
        box: ele.isNode()
          ? ele.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true })
          : null,
      });
    }
  });
  const nodes = drawn.filter((d) => d.box);
  const overlaps = [];
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i].box, b = nodes[j].box;
      if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) overlaps.push([nodes[i].id, nodes[j].id]);
    }
  }
  const rect = cy.container().getBoundingClientRect();
  return {
    zoom,
    labels: drawn.map((d) => ({ id: d.id, kind: d.kind, px: d.px })),
    overlaps,
    canvasTop: rect.top + window.scrollY,
    canvasWidth: rect.width,
    pageWidth: document.documentElement.scrollWidth,
  };
}
