import { useEffect, useState } from "react";

/**
 * A text field that starts as `prefill` (the demo store in demo mode). App info may still be
 * loading when the step opens, so the prefill lands when it arrives unless the merchant has typed
 * something already.
 */
export function usePrefilledField(prefill: string | null): [string, (value: string) => void] {
  const [value, setValue] = useState(prefill ?? "");
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    if (prefill && !touched) setValue(prefill);
  }, [prefill, touched]);
  return [
    value,
    (next) => {
      setTouched(true);
      setValue(next);
    },
  ];
}
