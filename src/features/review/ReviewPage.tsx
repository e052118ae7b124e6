export default function ReviewPage() {
  return <main><h1>Review</h1><p>Not built yet.</p></main>;
}
