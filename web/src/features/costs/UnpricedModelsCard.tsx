import { useCanChange } from '../../viewer-role';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Card } from '../../components/Card';
import { describeError, queryCardStatus } from '../../components/card-status';
import { TextField } from '../../components/TextField';
import { formatCount, formatDollars, formatTokens } from '../../format';
import { LatestCallOfModelDocument, RepriceCallsDocument, SetModelPriceDocument, UnpricedModelsDocument, type Period } from '../../gql/graphql';
import { periodOption } from '../../period';
import { describeReprice, parsePriceForm, type PriceFormValues } from './prepare-prices';

/** Re-pricing covers this period: long enough to catch what a missing price left at $0. */
const REPRICE_PERIOD: Period = 'LAST_30D';

/** Models whose calls had no known price, a form to set one, and a re-price of the last 30 days with today's prices. */
export function UnpricedModelsCard({ period }: { period: Period }) {
  const { data, loading, error, refetch } = useQuery(UnpricedModelsDocument, { variables: { period } });
  const [open, setOpen] = useState<string | null>(null);
  const mayChange = useCanChange();
  const [saved, setSaved] = useState<Record<string, string>>({});
  const client = useApolloClient();
  const [reprice, repricing] = useMutation(RepriceCallsDocument);
  const [repriceText, setRepriceText] = useState<string | null>(null);
  const [repriceError, setRepriceError] = useState<string | null>(null);
  const phrase = periodOption(period).phrase;
  const repricePhrase = periodOption(REPRICE_PERIOD).phrase;

  const runReprice = async () => {
    setRepriceError(null);
    setRepriceText(null);
    try {
      const result = await reprice({ variables: { period: REPRICE_PERIOD } });
      if (result.data) setRepriceText(describeReprice(result.data.repriceLlmCalls, repricePhrase));
      // Every cost on the page may have moved.
      await client.refetchQueries({ include: 'active' });
    } catch (caught) {
      setRepriceError(describeError(caught instanceof Error ? caught : new Error(String(caught))));
    }
  };

  const models = data?.unpricedModels ?? [];
  const status = queryCardStatus(
    { loading, error, refetch },
    { hasData: data !== undefined, isEmpty: models.length === 0 },
    <>
      {repriceText ? (
        <p className="notice notice-ok" role="status">
          {repriceText}
        </p>
      ) : null}
      <p>
        No unpriced calls in {phrase}. A model the price registry does not know shows up here, with a form to price it.
      </p>
    </>,
  );
  return (
    <Card title="Unpriced models" caption={`Calls in ${phrase} that no price covered: they count as $0 until priced`} status={status} minBodyHeight={160}>
      <ul className="unpriced">
        {models.map((model) => (
          <li key={model.key}>
            <div className="unpriced-row">
              <span className="unpriced-name">
                <strong>{model.label}</strong>
                <span className="muted small">
                  {formatCount(model.requests)} {model.requests === 1 ? 'call' : 'calls'} · {formatTokens(model.totalTokens)} tokens
                </span>
              </span>
              {mayChange ? (
                <button
                  type="button"
                  className="button button-small"
                  aria-expanded={open === model.key}
                  onClick={() => setOpen(open === model.key ? null : model.key)}
                >
                  {open === model.key ? 'Close' : saved[model.key] ? 'Change price' : 'Set a price'}
                </button>
              ) : null}
            </div>
            {saved[model.key] && open !== model.key ? <p className="notice notice-ok small">{saved[model.key]}</p> : null}
            {open === model.key ? (
              <PriceForm
                modelId={model.key}
                onSaved={(text) => {
                  setSaved((current) => ({ ...current, [model.key]: text }));
                  setOpen(null);
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {mayChange ? (
      <div className="reprice">
        <p className="muted small">
          A new price applies to calls from now on. Re-price {repricePhrase} to apply today&apos;s prices to past calls too (costs reported by the
          caller stay as reported).
        </p>
        <button type="button" className="button" onClick={() => void runReprice()} disabled={repricing.loading}>
          {repricing.loading ? (
            <>
              <span className="spinner" aria-hidden="true" /> Re-pricing…
            </>
          ) : (
            'Re-price last 30 days'
          )}
        </button>
        {repriceText ? (
          <p className="notice notice-ok" role="status">
            {repriceText}
          </p>
        ) : null}
        {repriceError ? (
          <p className="notice notice-error" role="alert">
            Re-pricing failed: {repriceError}
          </p>
        ) : null}
      </div>
      ) : null}
    </Card>
  );
}

function PriceForm({ modelId, onSaved }: { modelId: string; onSaved(text: string): void }) {
  const id = useId();
  const latest = useQuery(LatestCallOfModelDocument, { variables: { modelId } });
  const [values, setValues] = useState<PriceFormValues>({
    modelId,
    provider: '',
    inputPerMTok: '',
    outputPerMTok: '',
    cacheReadPerMTok: '',
    cacheWritePerMTok: '',
  });
  const [errors, setErrors] = useState<Partial<Record<keyof PriceFormValues, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [save, saving] = useMutation(SetModelPriceDocument);
  const latestProvider = latest.data?.llmCalls[0]?.provider;

  useEffect(() => {
    // Start from the provider the model's latest call named, unless one was typed already.
    if (latestProvider) setValues((current) => (current.provider ? current : { ...current, provider: latestProvider }));
  }, [latestProvider]);

  const field = (name: keyof PriceFormValues, label: string, hint: string) => (
    <TextField
      id={`${id}-${name}`}
      label={label}
      inputMode={name === 'provider' ? 'text' : 'decimal'}
      value={values[name]}
      placeholder={hint}
      error={errors[name]}
      onChange={(value) => setValues({ ...values, [name]: value })}
    />
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const parsed = parsePriceForm(values);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    try {
      const result = await save({ variables: { input: parsed.input } });
      const price = result.data?.setModelPrice;
      if (price) {
        onSaved(
          `Saved: ${formatDollars(price.inputPerMTok)} input and ${formatDollars(price.outputPerMTok)} output per million tokens for ${price.provider}/${price.modelId}. Re-price below to apply it to past calls.`,
        );
      }
    } catch (caught) {
      setFailure(describeError(caught instanceof Error ? caught : new Error(String(caught))));
    }
  };

  return (
    <form className="price-form" onSubmit={(event) => void submit(event)} noValidate aria-label={`Price for ${modelId}`}>
      <p className="muted small">Dollars per million tokens. Cache prices are optional.</p>
      <div className="form-grid">
        {field('provider', 'Provider', latest.loading ? 'looking it up…' : 'openai')}
        {field('inputPerMTok', 'Input $ / M tokens', '2.50')}
        {field('outputPerMTok', 'Output $ / M tokens', '10.00')}
        {field('cacheReadPerMTok', 'Cache read $ / M', 'optional')}
        {field('cacheWritePerMTok', 'Cache write $ / M', 'optional')}
      </div>
      {failure ? (
        <p className="notice notice-error" role="alert">
          The price was not saved: {failure}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="button button-primary" disabled={saving.loading}>
          {saving.loading ? 'Saving…' : 'Save price'}
        </button>
      </div>
    </form>
  );
}
