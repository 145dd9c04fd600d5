import { NumberInput, type NumberInputProps } from "@mantine/core";
import { currencyFractionDigits } from "../../lib/money";

/**
 * A money amount typed as a decimal and kept in minor units. Empty or unreadable input becomes
 * NaN, which the draft checks report in words.
 */
export function AmountInput({
  minor,
  currency,
  onMinorChange,
  ...props
}: { minor: number; currency: string; onMinorChange: (minor: number) => void } & Omit<NumberInputProps, "value" | "onChange">) {
  const digits = safeDigits(currency);
  return (
    <NumberInput
      {...props}
      value={Number.isFinite(minor) ? minor / 10 ** digits : ""}
      onChange={(value) => onMinorChange(toMinor(value, digits))}
      decimalScale={digits}
      fixedDecimalScale
      thousandSeparator=","
      min={0}
      hideControls
      rightSection={currency}
      rightSectionWidth={48}
    />
  );
}

function safeDigits(currency: string): number {
  try {
    return currencyFractionDigits(currency);
  } catch {
    return 2;
  }
}

/** NumberInput hands over a string while the text isn't a plain number yet ("5,000.00" with fixed
 * decimals, "" when cleared); only a finite decimal becomes an amount. */
function toMinor(value: number | string, digits: number): number {
  const number = typeof value === "number" ? value : value.trim() === "" ? Number.NaN : Number(value.replace(/,/g, ""));
  return Number.isFinite(number) ? Math.round(number * 10 ** digits) : Number.NaN;
}
