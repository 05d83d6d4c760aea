interface Props {
  calls: ReadonlyArray<{ call: string; count: number }>;
  selected: ReadonlySet<string>;
  onChange(next: ReadonlySet<string>): void;
}

/** Which calls the timeline shows: a toggle per call (with how often it was made); none pressed shows all. */
export function TraceFilter({ calls, selected, onChange }: Props) {
  const toggle = (call: string): void => {
    const next = new Set(selected);
    if (!next.delete(call)) next.add(call);
    onChange(next);
  };
  return (
    <div className="trace-filter" role="group" aria-label="Show only these calls" data-testid="trace-filter">
      {calls.map(({ call, count }) => (
        <button key={call} type="button" className="trace-filter-call" aria-pressed={selected.has(call)} data-call={call} onClick={() => toggle(call)}>
          {call} <span className="trace-filter-count">{count}</span>
        </button>
      ))}
      {selected.size > 0 && (
        <button type="button" className="trace-filter-clear button-quiet" onClick={() => onChange(new Set())}>
          all calls
        </button>
      )}
    </div>
  );
}
