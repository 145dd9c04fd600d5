import { useDebouncedValue } from "@mantine/hooks";
import { useEffect, useRef, useState } from "react";

/**
 * A text field whose value lives in the URL: typing updates the field at once and the URL once
 * the merchant pauses, and Back/Forward (a URL change we didn't write) refills the field.
 */
export function useUrlDraft(urlValue: string, commit: (value: string) => void, delay: number) {
  const [draft, setDraft] = useState(urlValue);
  const [settled] = useDebouncedValue(draft, delay);
  const written = useRef(urlValue);

  useEffect(() => {
    if (settled === written.current) return;
    written.current = settled;
    commit(settled);
    // `commit` is a fresh closure each render; only a settled value should write.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);

  useEffect(() => {
    if (urlValue === written.current) return;
    written.current = urlValue;
    setDraft(urlValue);
  }, [urlValue]);

  return [draft, setDraft] as const;
}
