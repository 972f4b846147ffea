// Material draws `pre.mermaid` with a global `mermaid` when one exists and otherwise loads its
// CDN copy. This module is only placed on pages with diagrams (by mermaid2) and, being a module,
// runs before DOMContentLoaded, so the global is always set before Material looks for it.
import mermaid from "./vendor/mermaid/mermaid.esm.min.mjs";

window.mermaid = mermaid;
export default mermaid;
