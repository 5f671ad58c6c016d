//! The two front ends of the ingress: AWS Lambda (`lambda_http`, behind a
//! Function URL or API Gateway) and plain HTTP on `CURFEW_INGRESS_ADDR` for
//! local use. Both only translate: [`answer`] routes a POST by its path to
//! the chat front's decision (JANDI's [`crate::handle`] on `/`, Slack's
//! [`crate::slack::command`] on `/slack/commands`, [`crate::slack::action`]
//! on `/slack/actions`); any other path is 404.

use crate::handler::{Answer, Outcome};
use crate::slack::{self, Signed};
use crate::{handle, Config};
use chrono::Utc;
use curfew_shared::ports::JobQueue;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;

/// The HTTP status and JSON body of an answer. Non-200 answers carry no
/// body: a stranger learns nothing from them.
fn parts(answer: &Answer) -> (StatusCode, String) {
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = answer
        .body
        .as_ref()
        .map(serde_json::Value::to_string)
        .unwrap_or_default();
    (status, body)
}

/// The answer to a POST of `body` to `path`; `header` reads a request
/// header (Slack's signature and timestamp).
pub async fn answer<'h>(
    path: &str,
    header: impl Fn(&str) -> Option<&'h str>,
    body: &[u8],
    config: &Config,
    queue: &impl JobQueue,
) -> Answer {
    let now = Utc::now();
    match path {
        "/" | "" => handle(body, now, config, queue).await,
        "/slack/commands" => {
            slack::command(body, Signed::from_headers(header), now, config, queue).await
        }
        "/slack/actions" => {
            slack::action(body, Signed::from_headers(header), now, config, queue).await
        }
        _ => Answer::bare(404, Outcome::NotFound),
    }
}

fn log(answer: &Answer) {
    tracing::info!(status = answer.status, outcome = ?answer.outcome, "answered");
}

/// Answers one Lambda HTTP event.
pub async fn lambda_response(
    request: lambda_http::Request,
    config: &Config,
    queue: &impl JobQueue,
) -> lambda_http::Response<lambda_http::Body> {
    if request.method() != Method::POST {
        return status_only(StatusCode::METHOD_NOT_ALLOWED, lambda_http::Body::Empty);
    }
    let headers = request.headers();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let answer = answer(
        request.uri().path(),
        header,
        request.body().as_ref(),
        config,
        queue,
    )
    .await;
    log(&answer);
    let (status, body) = parts(&answer);
    let body = if body.is_empty() {
        lambda_http::Body::Empty
    } else {
        lambda_http::Body::Text(body)
    };
    with_json(status, body)
}

/// Runs under the Lambda runtime until it stops us.
pub async fn run_lambda<Q: JobQueue + Send + Sync + 'static>(
    config: Config,
    queue: Q,
) -> Result<(), lambda_http::Error> {
    let shared = Arc::new((config, queue));
    lambda_http::run(lambda_http::service_fn(move |request| {
        let shared = Arc::clone(&shared);
        async move {
            let (config, queue) = &*shared;
            Ok::<_, std::convert::Infallible>(lambda_response(request, config, queue).await)
        }
    }))
    .await
}

/// Serves plain HTTP/1.1 on `listener` until `shutdown` resolves.
pub async fn serve<Q: JobQueue + Send + Sync + 'static>(
    listener: TcpListener,
    config: Arc<Config>,
    queue: Arc<Q>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            () = &mut shutdown => return Ok(()),
        };
        let (config, queue) = (Arc::clone(&config), Arc::clone(&queue));
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let (config, queue) = (Arc::clone(&config), Arc::clone(&queue));
                async move {
                    Ok::<_, std::convert::Infallible>(
                        local_response(request, &config, &*queue).await,
                    )
                }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
    }
}

async fn local_response(
    request: Request<Incoming>,
    config: &Config,
    queue: &impl JobQueue,
) -> Response<Full<Bytes>> {
    if request.method() != Method::POST {
        return status_only(StatusCode::METHOD_NOT_ALLOWED, Full::default());
    }
    let (head, body) = request.into_parts();
    // Read one byte past the limit, so "too large" is known without reading it all.
    let body = match Limited::new(body, config.max_body_bytes + 1)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            tracing::info!(status = 413, "answered");
            return status_only(StatusCode::PAYLOAD_TOO_LARGE, Full::default());
        }
    };
    let header = |name: &str| head.headers.get(name).and_then(|v| v.to_str().ok());
    let answer = answer(head.uri.path(), header, &body, config, queue).await;
    log(&answer);
    let (status, body) = parts(&answer);
    with_json(status, Full::new(Bytes::from(body)))
}

fn status_only<B>(status: StatusCode, body: B) -> Response<B> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
}

fn with_json<B>(status: StatusCode, body: B) -> Response<B> {
    let mut response = status_only(status, body);
    if status == StatusCode::OK {
        response.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
    response
}
