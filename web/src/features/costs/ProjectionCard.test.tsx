import type { MockLink } from '@apollo/client/testing';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CostProjectionDocument, type Period } from '../../gql/graphql';
import { renderWithMocks } from '../../test-support/render-with-apollo';
import { ProjectionCard } from './ProjectionCard';

afterEach(() => {
  window.location.hash = '';
});

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

const periodSelect = () => screen.getByRole<HTMLSelectElement>('combobox', { name: 'Projected from' });

describe('ProjectionCard', () => {
  it('follows the page period until the URL gives the card one of its own', async () => {
    const user = userEvent.setup();
    window.location.hash = '#/costs?period=LAST_7D';
    renderWithMocks(<ProjectionCard period="LAST_7D" timeZone="UTC" />, [projection('LAST_7D', 30), projection('LAST_30D', 123)]);
    await screen.findByText('$30.00');
    expect(periodSelect().value).toBe('');

    await user.selectOptions(periodSelect(), 'LAST_30D');
    expect(window.location.hash).toBe('#/costs?period=LAST_7D&projectionPeriod=LAST_30D');
    await screen.findByText('$123.00');
    expect(screen.queryByText('From the daily average of the last 30 days (days in UTC)')).not.toBeNull();
    expect(periodSelect().value).toBe('LAST_30D');
  });

  it('opens with the period a shared link names', async () => {
    window.location.hash = '#/costs?period=LAST_7D&projectionPeriod=LAST_30D';
    renderWithMocks(<ProjectionCard period="LAST_7D" timeZone="UTC" />, [projection('LAST_30D', 123)]);
    await screen.findByText('$123.00');
    expect(periodSelect().value).toBe('LAST_30D');
  });
});
