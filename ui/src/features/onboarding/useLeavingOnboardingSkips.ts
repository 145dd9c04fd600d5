import { useEffect, useRef } from "react";
import { useLocation } from "react-router";
import { rememberOnboarding, welcomePath } from "./onboardingState";

/**
 * Leaving onboarding through the navigation counts as "Skip for now", so it isn't offered again
 * on the next launch. Watched from the shell rather than on the page's unmount, which React's
 * development double-run would trigger while the page is still open.
 */
export function useLeavingOnboardingSkips(): void {
  const { pathname } = useLocation();
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === welcomePath && pathname !== welcomePath) {
      rememberOnboarding("skipped", { keep: true });
    }
    previous.current = pathname;
  }, [pathname]);
}
