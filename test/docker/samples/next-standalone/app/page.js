export default function Home() {
  return (
    <main>
      <h1>Notes</h1>
      <p>POST /api/notes to add one; GET /api/notes to list them.</p>
    </main>
  );
}
