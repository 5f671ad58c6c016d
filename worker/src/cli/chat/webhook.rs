//! The console's own incoming webhook: the worker posts its replies here, as
//! it would to JANDI, when `CURFEW_JANDI_WEBHOOK_URL` points at it.

use super::print::Shown;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{header, Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::mpsc::UnboundedSender;

/// Far above any JANDI message; only there so a stray client cannot make
/// the console buffer without end.
const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Accepts connections until the listener fails, and sends every JSON body
/// POSTed to any path down `replies`. Answers 200 `{}` as JANDI does, 400 to
/// a body that is not JSON, 415 to a declared non-JSON type, 405 to
/// anything but POST.
pub async fn serve(listener: TcpListener, replies: UnboundedSender<Shown>) -> std::io::Result<()> {
    loop {
        let (stream, _) = listener.accept().await?;
        let replies = replies.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let replies = replies.clone();
                async move { Ok::<_, std::convert::Infallible>(respond(request, &replies).await) }
            });
            if let Err(error) = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(%error, "webhook connection ended with an error");
            }
        });
    }
}

async fn respond(
    request: Request<Incoming>,
    replies: &UnboundedSender<Shown>,
) -> Response<Full<Bytes>> {
    if request.method() != Method::POST {
        return plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "POST a JANDI message here\n",
        );
    }
    let declared = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_ascii_lowercase);
    // Loose on purpose: `application/json; charset=utf-8` and a missing type
    // are both fine; only a type that says it is something else is refused.
    if declared.is_some_and(|declared| !declared.contains("json")) {
        return plain(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send Content-Type: application/json\n",
        );
    }
    let body = match Limited::new(request.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return plain(StatusCode::PAYLOAD_TOO_LARGE, "body too large\n"),
    };
    match serde_json::from_slice(&body) {
        Ok(value) => {
            // The console may be shutting down; the sender still gets its 200.
            let _ = replies.send(Shown::from_json(value));
            let mut response = plain(StatusCode::OK, "{}");
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(error) => plain(StatusCode::BAD_REQUEST, &format!("not JSON: {error}\n")),
    }
}

fn plain(status: StatusCode, text: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(text.to_owned())));
    *response.status_mut() = status;
    response
}
