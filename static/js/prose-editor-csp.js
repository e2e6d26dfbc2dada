// The rich-text editor without an injected <style> element.
//
// Tiptap adds ProseMirror's rules to the page as a <style> element (its `injectCSS` option, which
// django-prose-editor gives no way to switch off). Our CSP (style-src 'self') refuses that
// element, and without its `white-space: pre-wrap` every space typed becomes a no-break space.
// The same rules ship as css/prose-editor.css; this module makes the injection a no-op.
//
// It must run after editor.js and before configurable.js builds the editors: the admin's media
// lists it between the two (programme.admin.FormattedTextAdmin.media). The bare specifier goes
// through the import map, so this is the same Editor class the editors are built from.
import { Editor } from "django-prose-editor/editor";

Editor.prototype.injectCSS = function injectCSS() {};
