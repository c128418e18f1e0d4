export default function Home() {
  return <h1>Find your next job</h1>;
}
