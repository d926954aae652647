import { lazy, Suspense } from "react";
import { Loading } from "./components/common";
import { Shell } from "./components/Shell";
import { useSession, type ViewName } from "./state/session";
import { FleetView } from "./views/Fleet";

// The fleet view is the landing page and loads with the shell; the others load on first visit (a smaller first
// download: the dashboard's first load over the network is one of its performance bars).
const views: Record<ViewName, React.ComponentType> = {
  fleet: FleetView,
  explorer: lazy(() => import("./views/Explorer").then((m) => ({ default: m.ExplorerView }))),
  spikes: lazy(() => import("./views/Spikes").then((m) => ({ default: m.SpikesView }))),
  inbox: lazy(() => import("./views/Inbox").then((m) => ({ default: m.InboxView }))),
  optimizer: lazy(() => import("./views/Optimizer").then((m) => ({ default: m.OptimizerView }))),
  validation: lazy(() => import("./views/Validation").then((m) => ({ default: m.ValidationView }))),
  config: lazy(() => import("./views/Config").then((m) => ({ default: m.ConfigView }))),
  audit: lazy(() => import("./views/Audit").then((m) => ({ default: m.AuditView }))),
};

export function App() {
  const view = useSession((s) => s.view);
  const View = views[view];
  return (
    <Shell>
      <Suspense fallback={<Loading label="Opening view…" />}>
        <View />
      </Suspense>
    </Shell>
  );
}
