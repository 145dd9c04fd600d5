// Whether the merchant is done with first-launch onboarding, kept in the webview's localStorage:
// it is about this window's first run, not about the merchant's data, so it doesn't belong in the
// database. Absent means "not yet": onboarding is offered while there are no channels.

export const onboardingStorageKey = "counterline.onboarding";
export const welcomePath = "/welcome";

export type OnboardingOutcome = "finished" | "skipped";

export function readOnboarding(): OnboardingOutcome | null {
  try {
    const value = window.localStorage.getItem(onboardingStorageKey);
    return value === "finished" || value === "skipped" ? value : null;
  } catch {
    // Storage switched off: treat onboarding as done rather than showing it on every launch.
    return "skipped";
  }
}

/** `keep` leaves an outcome already recorded alone (leaving via the navigation after finishing). */
export function rememberOnboarding(outcome: OnboardingOutcome, { keep = false } = {}): void {
  if (keep && readOnboarding() !== null) return;
  try {
    window.localStorage.setItem(onboardingStorageKey, outcome);
  } catch {
    // Nothing to do: without storage onboarding is never offered automatically anyway.
  }
}
