import Studio from "../islands/Studio.tsx";
import { Head } from "../lib/web/head.ts";

/** The presenter's studio. */
export default function StudioPage() {
  return (
    <>
      <Head>
        <title>Studio · Chalkcast</title>
      </Head>
      <Studio />
    </>
  );
}
