import { keepGraphiqlMarkupAccessible } from './graphiql-markup';

/** The markup GraphiQL 5.4 draws for its operation tabs. */
function tab(title: string, selected: boolean): string {
  return `<li role="tab" aria-selected="${selected}" class="graphiql-tab"><button type="button" class="graphiql-tab-button">${title}</button><button type="button" class="graphiql-tab-close" aria-label="Close Tab"><svg aria-hidden="true"></svg></button></li>`;
}

let root: HTMLElement;
let stop: () => void;

beforeEach(() => {
  root = document.createElement('div');
  root.innerHTML = `<ul role="tablist" class="graphiql-tabs" aria-label="Select active operation">${tab('Summary', true)}${tab('LiveCalls', false)}</ul>`;
  document.body.append(root);
  stop = keepGraphiqlMarkupAccessible(root);
});

afterEach(() => {
  stop();
  root.remove();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const current = () => [...root.querySelectorAll('[aria-current="true"]')].map((button) => button.textContent);

it('draws the tabs as a list of buttons, the open operation marked current', () => {
  expect(root.querySelector('[role="tablist"], [role="tab"], [aria-selected]')).toBeNull();
  expect(root.querySelector('ul')?.getAttribute('aria-label')).toBe('Select active operation');
  expect(current()).toEqual(['Summary']);
});

it('follows GraphiQL as it switches to another tab', async () => {
  const [first, second] = root.querySelectorAll('li');
  first.setAttribute('aria-selected', 'false');
  second.setAttribute('aria-selected', 'true');
  await settle();
  expect(current()).toEqual(['LiveCalls']);
  expect(root.querySelector('[aria-selected]')).toBeNull();
});

it('rewrites a tab GraphiQL adds', async () => {
  root.querySelector('ul')?.insertAdjacentHTML('beforeend', tab('Untitled', false));
  await settle();
  expect(root.querySelector('[role="tab"], [aria-selected]')).toBeNull();
  expect(root.querySelectorAll('li')).toHaveLength(3);
});

it('names a history entry by the operation it shows, and leaves icon buttons their names', async () => {
  root.insertAdjacentHTML(
    'beforeend',
    '<ul><li><button type="button" class="graphiql-history-item-label" aria-label="Set active">{ viewer { role } }</button><button type="button" aria-label="Edit label"><svg aria-hidden="true"></svg></button></li></ul>',
  );
  await settle();
  expect(root.querySelector('.graphiql-history-item-label')?.hasAttribute('aria-label')).toBe(false);
  expect(root.querySelector('button[aria-label="Edit label"]')).not.toBeNull();
  expect(root.querySelector('button[aria-label="Close Tab"]')).not.toBeNull();
});
