import type { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';

/** Renders `ui` with a client that answers each of `mocks` once, in order. */
export function renderWithMocks(ui: ReactElement, mocks: MockLink.MockedResponse[]): RenderResult {
  return render(<MockedProvider mocks={mocks}>{ui}</MockedProvider>);
}

/** Renders `ui` with `client` (a recording client, to see what the page asks). */
export function renderWithClient(ui: ReactElement, client: ApolloClient): RenderResult {
  return render(<ApolloProvider client={client}>{ui}</ApolloProvider>);
}
