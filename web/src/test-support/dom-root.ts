import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';

export interface DomRoot {
  container: HTMLDivElement;
  root: Root;
}

/** A fresh container in the document and a React root on it for each test of the file, unmounted after the test. */
export function useDomRoot(): DomRoot {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  const dom = {} as DomRoot;
  beforeEach(() => {
    dom.container = document.createElement('div');
    document.body.append(dom.container);
    dom.root = createRoot(dom.container);
  });
  afterEach(() => {
    act(() => dom.root.unmount());
    dom.container.remove();
  });
  return dom;
}
