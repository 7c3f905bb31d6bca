/**
 * Two places where GraphiQL 5's markup cannot be operated with assistive technology, and which
 * it offers no option to change (axe-core, serious):
 *
 * - its operation tabs are `<li role="tab">` around the tab's button and its close button:
 *   controls nested in a control (nested-interactive). The strip is rewritten as what it works
 *   as, a list of buttons, the open operation's marked `aria-current`;
 * - a history entry's button shows the operation but is named "Set active"
 *   (label-content-name-mismatch: speech input cannot call it by what it shows). It is named by
 *   the operation it shows.
 *
 * The rewrite is kept as GraphiQL adds, closes and switches tabs. React never reads these
 * attributes back and sets them again only when their value changes, so it holds; a changed
 * `aria-selected` is carried over to the tab's button the moment it lands.
 */
export function keepGraphiqlMarkupAccessible(root: HTMLElement): () => void {
  const rewrite = () => {
    for (const strip of root.querySelectorAll('.graphiql-tabs[role="tablist"]')) strip.removeAttribute('role');
    for (const tab of root.querySelectorAll<HTMLElement>('li.graphiql-tab')) {
      if (tab.getAttribute('role') === 'tab') tab.removeAttribute('role');
      const selected = tab.getAttribute('aria-selected');
      if (selected === null) continue;
      tab.removeAttribute('aria-selected');
      const button = tab.querySelector('.graphiql-tab-button');
      if (selected === 'true') button?.setAttribute('aria-current', 'true');
      else button?.removeAttribute('aria-current');
    }
    for (const entry of root.querySelectorAll('.graphiql-history-item-label[aria-label]')) entry.removeAttribute('aria-label');
  };
  rewrite();
  const observer = new MutationObserver(rewrite);
  observer.observe(root, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['role', 'aria-selected', 'aria-label'],
  });
  return () => observer.disconnect();
}
