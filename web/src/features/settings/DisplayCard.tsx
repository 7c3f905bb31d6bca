import { useId } from 'react';
import { Card } from '../../components/Card';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { browserTimeZone } from '../../format';
import { useRoute } from '../../routing';
import { TIME_ZONE_PARAM, timeZoneChoices } from '../../time-zone';

const READY = { kind: 'ready' } as const;

/** How the dashboard shows days and times: the zone, kept in the URL so a shared link shows the same times. */
export function DisplayCard({ timeZone }: { timeZone: string }) {
  const id = useId();
  const hintId = useId();
  const { route, setParam } = useRoute();
  const chosen = route.params.get(TIME_ZONE_PARAM);
  const browserZone = browserTimeZone();
  const choices = timeZoneChoices(browserZone, chosen);
  const value = chosen && choices.some((choice) => choice.value === chosen) ? chosen : '';
  return (
    <Card title="Display" caption="How this browser shows days and times" status={READY} minBodyHeight={80}>
      <div className="field display-zone">
        <label htmlFor={id}>Time zone</label>
        <ChoiceSelect id={id} value={value} choices={choices} onChange={(next) => setParam(TIME_ZONE_PARAM, next || null)} describedBy={hintId} />
        <p id={hintId} className="muted small">
          Days on the charts and times in the tables are in {timeZone}. The choice rides in the address (<code>tz=</code>), so a link you
          share shows the same times, and the pages keep it as you move between them.
        </p>
      </div>
    </Card>
  );
}
