import { MockedProvider } from '@apollo/client/testing/react';
import type { MockLink } from '@apollo/client/testing';
import { act } from 'react';
import { CostProjectionDocument, type Period } from '../../gql/graphql';
import { ProjectionCard } from './ProjectionCard';
import { useDomRoot } from '../../test-support/dom-root';

const dom = useDomRoot();

afterEach(() => {
  window.location.hash = '';
});

async function until(check: () => boolean): Promise<void> {
  // Each turn lets pending work settle; a busy machine may need many turns.
  for (let i = 0; i < 1000 && !check(); i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  }
  expect(check()).toBe(true);
}

/** The projection the gateway answers for `period`: its projected figure tells which period was asked. */
const projection = (period: Period, projectedMonthlyCost: number): MockLink.MockedResponse => ({
  request: { query: CostProjectionDocument, variables: { period, timezone: 'UTC' } },
  result: {
    data: {
      llmCostProjections: {
        __typename: 'CostProjection',
        period,
        currentPeriodCost: 7,
        previousPeriodCost: 5,
        changePct: 40,
        dailyAverage: 1,
        daysWithData: 7,
        projectedMonthlyCost,
      },
    },
  },
});

const text = () => dom.container.textContent ?? '';
const select = () => dom.container.querySelector<HTMLSelectElement>('select')!;

describe('ProjectionCard', () => {
  it('follows the page period until the URL gives the card one of its own', async () => {
    window.location.hash = '#/costs?period=LAST_7D';
    act(() =>
      dom.root.render(
        <MockedProvider mocks={[projection('LAST_7D', 30), projection('LAST_30D', 123)]}>
          <ProjectionCard period="LAST_7D" timeZone="UTC" />
        </MockedProvider>,
      ),
    );
    await until(() => text().includes('$30.00'));
    expect(select().value).toBe('');
    expect(dom.container.querySelector('label')!.textContent).toBe('Projected from');

    act(() => {
      select().value = 'LAST_30D';
      select().dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(window.location.hash).toBe('#/costs?period=LAST_7D&projectionPeriod=LAST_30D');
    await until(() => text().includes('$123.00'));
    expect(text()).toContain('the last 30 days');
    expect(select().value).toBe('LAST_30D');
  });

  it('opens with the period a shared link names', async () => {
    window.location.hash = '#/costs?period=LAST_7D&projectionPeriod=LAST_30D';
    act(() =>
      dom.root.render(
        <MockedProvider mocks={[projection('LAST_30D', 123)]}>
          <ProjectionCard period="LAST_7D" timeZone="UTC" />
        </MockedProvider>,
      ),
    );
    await until(() => text().includes('$123.00'));
    expect(select().value).toBe('LAST_30D');
  });
});
