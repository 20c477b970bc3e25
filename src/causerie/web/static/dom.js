// Building DOM nodes safely. Text always goes in through textContent / text nodes, never HTML,
// so whatever a user types is shown as typed and can never become markup.

/**
 * Create an element.
 *
 * props: className, text (textContent), testid (data-testid), dataset, attrs (attributes),
 * hidden, disabled, title, type, on ({event: handler}).
 * children: nodes or strings (strings become text nodes); null/false are skipped.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  const { className, text, testid, dataset, attrs, on, ...rest } = props;
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (testid) node.dataset.testid = testid;
  if (dataset) Object.assign(node.dataset, dataset);
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(name, value === true ? "" : String(value));
      }
    }
  }
  for (const [name, value] of Object.entries(rest)) {
    if (value !== undefined) node[name] = value;
  }
  if (on) {
    for (const [event, handler] of Object.entries(on)) node.addEventListener(event, handler);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
}

/** The element with this id; throws early if the page lacks it (a bug, not a user error). */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing element #${id}`);
  return node;
}

/** Whether a scroll box shows its last line (so a re-render should keep it pinned there). */
export function isScrolledToBottom(box, slackPx = 48) {
  return box.scrollHeight - box.scrollTop - box.clientHeight <= slackPx;
}

/**
 * Make `parent`'s children exactly `nodes`, moving only what changed: a new message is one
 * insertion, so scroll position, text selection and screen-reader announcements stay sane.
 */
export function syncChildren(parent, nodes) {
  let cursor = parent.firstChild;
  for (const node of nodes) {
    if (node === cursor) {
      cursor = cursor.nextSibling;
      continue;
    }
    parent.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}
