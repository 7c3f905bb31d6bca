import { Component, type ErrorInfo, type ReactNode } from 'react';

/** Props of the error boundary. */
export interface ErrorBoundaryProps {
  children: ReactNode;
  /** Changing it clears a caught error (e.g. the page path, so moving away recovers). */
  resetKey?: string;
}

/** Catches a page that failed to load or render and offers a reload instead of a blank screen. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, { error: Error | null; resetKey?: string }> {
  state: { error: Error | null; resetKey?: string } = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: { error: Error | null; resetKey?: string }) {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('A page failed', error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="card card-state card-error" role="alert">
        <p>
          <strong>This page failed to load.</strong> {this.state.error.message}
        </p>
        <button type="button" className="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
