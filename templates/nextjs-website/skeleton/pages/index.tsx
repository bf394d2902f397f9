import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { greeting } from '../lib/greeting';

type Props = { message: string; renderedAt: string };

/** Rendered on the server for every request (`?name=Ada`). */
export const getServerSideProps: GetServerSideProps<Props> = async ({
  query,
}) => {
  const name = typeof query.name === 'string' ? query.name : undefined;
  const now = new Date();
  return {
    props: { message: greeting(name, now), renderedAt: now.toISOString() },
  };
};

export default function Home({ message, renderedAt }: Props) {
  return (
    <>
      <Head>
        <title>{message}</title>
      </Head>
      <main className="page">
        <h1>{message}</h1>
        <p>
          Rendered on the server at{' '}
          <time dateTime={renderedAt}>{renderedAt}</time>.
        </p>
      </main>
    </>
  );
}
