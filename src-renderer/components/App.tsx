export function App() {
  return <div>Winnow</div>;
}
