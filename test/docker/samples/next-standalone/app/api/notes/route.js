// Notes kept in memory for the life of the server process.
const notes = [];

export const dynamic = 'force-dynamic';

export async function GET() {
  return Response.json({ notes });
}

export async function POST(request) {
  const body = await request.json().catch(() => ({}));
  if (typeof body.text !== 'string' || body.text.length === 0) {
    return Response.json({ error: 'text is required' }, { status: 400 });
  }
  const note = { id: notes.length + 1, text: body.text };
  notes.push(note);
  return Response.json(note, { status: 201 });
}
